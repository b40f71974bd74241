/**
 * The platform's own e-mail (password resets): PLATFORM_SMTP_URL, From PLATFORM_MAIL_FROM.
 * Separate from the mystery mailboxes (campaigns/sending/mailer.ts), which must look like a
 * citizen's. Without PLATFORM_SMTP_URL nothing is sent and the pages say whom to ask.
 */
import nodemailer from 'nodemailer';
import type { Config } from '../config';

export function platformMailConfigured(config: Pick<Config, 'PLATFORM_SMTP_URL'>): boolean {
  return !!config.PLATFORM_SMTP_URL;
}

export async function sendPlatformMail(config: Pick<Config, 'PLATFORM_SMTP_URL' | 'PLATFORM_MAIL_FROM'>, m: { to: string; subject: string; text: string }) {
  if (!config.PLATFORM_SMTP_URL) throw new Error('PLATFORM_SMTP_URL is not set');
  const transport = nodemailer.createTransport(config.PLATFORM_SMTP_URL, { logger: false, debug: false } as never);
  try {
    await transport.sendMail({ from: config.PLATFORM_MAIL_FROM, to: m.to, subject: m.subject, text: m.text });
  } finally {
    transport.close();
  }
}
