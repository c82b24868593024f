module.exports = ({ env }) => ({
  serveAdminPanel: false,
  autoOpen: false,
  auth: { secret: env('ADMIN_JWT_SECRET') },
  apiToken: { salt: env('API_TOKEN_SALT') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT') } },
  // With an encryption key Strapi can show an API token's key again (GET /admin/api-tokens/:id).
  secrets: { encryptionKey: env('ENCRYPTION_KEY') },
  rateLimit: { enabled: env.bool('STRAPI_RATE_LIMIT', true) },
  flags: { nps: false, promoteEE: false },
});
