import type { Config } from 'drizzle-kit';

export default {
  dialect: 'postgresql',
  schema: './server/storage/schema.ts',
  out: './server/storage/migrations',
} satisfies Config;
