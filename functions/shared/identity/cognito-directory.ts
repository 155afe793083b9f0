import {
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  paginateListUsers,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { counted } from '../request-counting.js';
import type { Directory } from './roles.js';

/** The function's one Cognito client. */
export const cognito = counted(new CognitoIdentityProviderClient({}));

/** The user pool as an admin sees it: a user's groups, every account, and removing one. Users are named by `sub`. */
export function cognitoDirectory(userPoolId: string): Directory & {
  deleteUser(userId: string): Promise<void>;
  deleteAccount(userId: string): Promise<boolean>;
  userIds(): AsyncIterable<string[]>;
} {
  /** Deletes the account: true if it existed until now, false if it was already gone. */
  const deleteAccount = async (userId: string): Promise<boolean> => {
    try {
      await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: userId }));
      return true;
    } catch (error) {
      if (!(error instanceof UserNotFoundException)) throw error;
      return false;
    }
  };
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
      await deleteAccount(userId);
    },
    deleteAccount,
    /** Every account's id (`sub`), a page of up to 60 at a time (ListUsers' largest page). */
    async *userIds() {
      const pages = paginateListUsers(
        { client: cognito, pageSize: 60 },
        { UserPoolId: userPoolId, AttributesToGet: ['sub'] },
      );
      for await (const page of pages)
        yield (page.Users ?? []).flatMap((user) => {
          const sub = user.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value ?? user.Username;
          return sub ? [sub] : [];
        });
    },
  };
}
