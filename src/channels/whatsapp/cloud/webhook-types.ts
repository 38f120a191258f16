/**
 * The subset of Meta's `messages` webhook payload the Cloud channel reads (WhatsApp Cloud API,
 * "Messages webhook reference"). Everything is optional because it comes from outside: a field
 * Meta omits (or renames) must never crash the handler.
 *
 * @example
 * const p = JSON.parse(raw) as WebhookPayload;
 * p.entry?.[0]?.changes?.[0]?.value?.messages?.[0]?.type; // 'text'
 */
export interface WebhookPayload {
  object?: string;
  entry?: Array<{ id?: string; changes?: Array<{ field?: string; value?: WebhookValue }> }>;
}

export interface WebhookContact {
  /** The phone number; omitted for a user with a username whose number is not shared. */
  wa_id?: string;
  /** Business-scoped user id (BSUID), e.g. 'BR.1502576394655843'. */
  user_id?: string;
  parent_user_id?: string;
  profile?: { name?: string; username?: string };
}

export interface WebhookStatus {
  id?: string;
  status?: string;
  recipient_id?: string;
  recipient_user_id?: string;
  timestamp?: string;
  errors?: unknown[];
}

export interface WebhookValue {
  metadata?: { phone_number_id?: string; display_phone_number?: string };
  contacts?: WebhookContact[];
  messages?: WebhookMessage[];
  statuses?: WebhookStatus[];
}

export interface WebhookMedia {
  id?: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
  /** Audio only: true for a voice note recorded in WhatsApp. */
  voice?: boolean;
  /** Sticker only. */
  animated?: boolean;
}

export interface WebhookContactCard {
  name?: { formatted_name?: string; first_name?: string; last_name?: string };
  phones?: Array<{ phone?: string; wa_id?: string; type?: string }>;
  emails?: Array<{ email?: string; type?: string }>;
  org?: { company?: string };
}

/** The content part of a message (also nested in `edit.message`). */
export interface WebhookMessageContent {
  type?: string;
  text?: { body?: string };
  interactive?: {
    type?: string;
    button_reply?: { id?: string; title?: string };
    list_reply?: { id?: string; title?: string; description?: string };
    nfm_reply?: { name?: string; body?: string; response_json?: string };
  };
  button?: { text?: string; payload?: string };
  image?: WebhookMedia;
  audio?: WebhookMedia;
  video?: WebhookMedia;
  document?: WebhookMedia;
  sticker?: WebhookMedia;
  location?: { latitude?: number; longitude?: number; name?: string; address?: string; url?: string };
  contacts?: WebhookContactCard[];
  order?: { catalog_id?: string; text?: string; product_items?: Array<{ product_retailer_id?: string; quantity?: number | string; item_price?: number | string; currency?: string }> };
  reaction?: { message_id?: string; emoji?: string };
  revoke?: { original_message_id?: string };
  edit?: { original_message_id?: string; message?: WebhookMessageContent };
  unsupported?: { type?: string };
  errors?: Array<{ code?: number; title?: string; message?: string; error_data?: { details?: string } }>;
  context?: { id?: string; from?: string };
}

export interface WebhookMessage extends WebhookMessageContent {
  /** The sender's phone number; absent for a username-only sender (then `from_user_id`). */
  from?: string;
  /** The sender's business-scoped user id (Meta v25 usernames). */
  from_user_id?: string;
  id?: string;
  timestamp?: string;
}
