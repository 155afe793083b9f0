import type { PreSignUpTriggerEvent } from 'aws-lambda';

/**
 * Cognito pre-sign-up trigger: confirms every new user, so `POST /auth/signup`
 * is followed directly by `POST /auth/login`. Confirming here, inside SignUp,
 * keeps signup atomic (no half-created, unconfirmed users).
 */
export const handler = async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
  event.response.autoConfirmUser = true;
  if (event.request.userAttributes.email) event.response.autoVerifyEmail = true;
  return event;
};
