import type { ActivityLog } from '../../core/ports/activity-log.js';
import { HandoverError } from '../../core/errors.js';
import type { ConversationTokens, TokenClaims } from './conversation-tokens.js';

/**
 * The one access check both front doors use, in a fixed order: a token we issued (401), not
 * expired (403), an existing conversation (404), the token's own conversation (403).
 *
 * @example
 * const claims = await authorizeConversation(tokens, log, bearerToken(req), conversationId);
 */
export async function authorizeConversation(
  tokens: ConversationTokens,
  log: ActivityLog,
  token: string | undefined,
  conversationId: string,
): Promise<TokenClaims> {
  const claims = tokens.verify(token);
  if (!(await log.exists(conversationId))) {
    throw new HandoverError('HANDOVER_ERR_UNKNOWN_CONVERSATION', `No web chat conversation "${conversationId}": start a new one`);
  }
  if (claims.conversationId !== conversationId) {
    throw new HandoverError('HANDOVER_ERR_FORBIDDEN', 'This token belongs to another conversation');
  }
  return claims;
}
