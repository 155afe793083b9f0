import {
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Directory } from './roles.js';

/** The function's one Cognito client. */
export const cognito = new CognitoIdentityProviderClient({});

/** The user pool as an admin sees it: a user's groups, and removing an account. Users are named by `sub`. */
export function cognitoDirectory(
  userPoolId: string,
): Directory & { deleteUser(userId: string): Promise<void> } {
  return {
    async groupsOf(userId) {
      try {
        const { Groups = [] } = await cognito.send(
          new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: userId }),
        );
        return Groups.flatMap((group) => (group.GroupName ? [group.GroupName] : []));
      } catch (error) {
        if (error instanceof UserNotFoundException) return undefined;
        throw error;
      }
    },
    /** Deletes the account; an account already gone is not an error (deletion is retried safely). */
    async deleteUser(userId) {
      try {
        await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: userId }));
      } catch (error) {
        if (!(error instanceof UserNotFoundException)) throw error;
      }
    },
  };
}
