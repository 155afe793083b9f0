import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { eventHandler } from '../shared/event-handler.js';

/**
 * Cognito pre-sign-up trigger: refuses every sign-up but the API's own
 * (`AdminCreateUser`, made by the auth function with its IAM grant), so no
 * one creates an account by calling Cognito's public SignUp directly, and
 * skips the API's validation and the profile. The pool also refuses
 * self-service sign-up on AWS; the local emulator does not, so this is what
 * enforces it there. An account made by the API is confirmed by the API itself
 * (a permanent password), so nothing is confirmed here.
 */
export const handler = eventHandler(async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
  if (event.triggerSource !== 'PreSignUp_AdminCreateUser') {
    throw new Error('sign up through the API: POST /auth/signup');
  }
  return event;
});
