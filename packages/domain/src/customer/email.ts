import { z } from 'zod';

/** RFC 5321 caps a forward path at 256 octets, i.e. 254 for the address itself. */
export const maxEmailLength = 254;

const emailFormat = z.email().max(maxEmailLength);

/**
 * One spelling per mailbox: uniqueness is reserved on this form, so `Ann@X.com` and `ann@x.com ` must collide.
 * (Local parts are case-sensitive in theory; no real provider treats them so, and a duplicate account is worse.)
 */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const isValidEmail = (normalizedEmail: string): boolean => emailFormat.safeParse(normalizedEmail).success;

/** For payloads: accepts any spelling, yields the normalized address or an issue. */
export const emailInputSchema = z.string().max(320).transform(normalizeEmail).pipe(emailFormat);
