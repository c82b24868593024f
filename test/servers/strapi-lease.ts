import { get } from 'node:http';
import { inject } from 'vitest';
import type { StrapiServer } from './real-servers';
import type { StrapiGrant } from './strapi-lender';

declare module 'vitest' {
  export interface ProvidedContext {
    /** test/servers/strapi-lender.ts: where to ask for the run's Strapi. */
    strapiLender: string;
  }
}

/**
 * The run's Strapi for this test file until `stop()`: only Strapi's two default API tokens on it, and an admin user
 * of this lease's own (`email`, `password`). Waits while another file holds it.
 */
export function leaseStrapi(): Promise<StrapiServer> {
  const lender = inject('strapiLender');
  return new Promise((resolve, reject) => {
    const req = get(lender, (res) => {
      let text = '';
      let granted = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        const line = text.indexOf('\n');
        if (granted || res.statusCode !== 200 || line < 0) return;
        granted = true;
        const grant = JSON.parse(text.slice(0, line)) as StrapiGrant;
        // Giving the lease back is closing the request; the lender sees the connection go.
        resolve({ ...grant, stop: async () => void req.destroy() });
      });
      res.on('error', () => undefined); // our own destroy() at stop()
      res.on('end', () => reject(new Error(`no Strapi lease (${res.statusCode}): ${text}`)));
    });
    req.on('error', reject);
  });
}
