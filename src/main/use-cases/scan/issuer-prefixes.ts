/**
 * Token formats whose issuers document a fixed prefix, so `scan` can point at likely tokens that are not in the vault.
 * A candidate is the prefix at a word start followed by `minBody`..`maxBody` characters of `body`. Only formats with a
 * distinctive prefix are here: a bare 40-hex Gitea token or a Cloudflare API token (no prefix) cannot be told from
 * a commit hash.
 *
 * Sources (the issuers' own documentation):
 *   GitHub        https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
 *                 https://github.blog/changelog/2022-10-18-introducing-fine-grained-personal-access-tokens/
 *   GitLab        https://docs.gitlab.com/security/tokens/#token-prefixes
 *   npm           https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/
 *   Grafana       https://grafana.com/docs/grafana/latest/administration/service-accounts/ (glsa_),
 *                 https://grafana.com/docs/grafana-cloud/security-and-account-management/authentication-and-permissions/access-policies/ (glc_)
 *   OpenAI        https://platform.openai.com/docs/api-reference/authentication (sk-, sk-proj-)
 *   Anthropic     https://docs.anthropic.com/en/api/getting-started (sk-ant-)
 *   Hugging Face  https://huggingface.co/docs/hub/security-tokens (hf_)
 *   DigitalOcean  https://docs.digitalocean.com/reference/api/create-personal-access-token/ (dop_v1_, doo_v1_, dor_v1_)
 *   Slack         https://api.slack.com/concepts/token-types (xoxb-, xoxp-, xoxa-, xoxr-, xoxe-, xapp-)
 *   Docker Hub    https://docs.docker.com/security/for-developers/access-tokens/ (dckr_pat_)
 *   Stripe        https://docs.stripe.com/keys (sk_live_, rk_live_)
 *   AWS           https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html (AKIA, ASIA key ids)
 *   Google Cloud  https://cloud.google.com/docs/authentication/api-keys (AIza)
 *   HashiCorp     https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes (hvs., hvb., hvr.)
 *   Shopify       https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens (shpat_, shpca_, shppa_, shpss_)
 *   PyPI          https://pypi.org/help/#apitoken (pypi-)
 *   Linear        https://linear.app/developers/graphql#personal-api-keys (lin_api_)
 *   Postman       https://learning.postman.com/docs/developer/postman-api/authentication/ (PMAK-)
 *   SendGrid      https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys (SG.)
 */

export interface IssuerPrefix {
  prefix: string;
  /** Who issues it and what it is, for people. */
  issuer: string;
  body: 'alnum' | 'alnum_' | 'alnum_-' | 'alnum_.-' | 'hex' | 'base64' | 'upper-alnum';
  minBody: number;
  maxBody: number;
}

const p = (prefix: string, issuer: string, body: IssuerPrefix['body'], minBody: number, maxBody = 255): IssuerPrefix => ({
  prefix,
  issuer,
  body,
  minBody,
  maxBody,
});

export const ISSUER_PREFIXES: readonly IssuerPrefix[] = [
  p('ghp_', 'GitHub personal access token (classic)', 'alnum', 36, 36),
  p('gho_', 'GitHub OAuth access token', 'alnum', 36, 36),
  p('ghu_', 'GitHub user-to-server token', 'alnum', 36, 36),
  p('ghs_', 'GitHub server-to-server token', 'alnum', 36, 36),
  p('ghr_', 'GitHub refresh token', 'alnum', 36, 76),
  p('github_pat_', 'GitHub fine-grained personal access token', 'alnum_', 70),
  p('glpat-', 'GitLab personal, project or group access token', 'alnum_.-', 20),
  p('gldt-', 'GitLab deploy token', 'alnum_.-', 20),
  p('glrt-', 'GitLab runner authentication token', 'alnum_.-', 20),
  p('glptt-', 'GitLab pipeline trigger token', 'alnum_.-', 20),
  p('glft-', 'GitLab feed token', 'alnum_.-', 20),
  p('glimt-', 'GitLab incoming mail token', 'alnum_.-', 20),
  p('glagent-', 'GitLab agent for Kubernetes token', 'alnum_.-', 20),
  p('gloas-', 'GitLab OAuth application secret', 'alnum_.-', 20),
  p('glsoat-', 'GitLab SCIM OAuth access token', 'alnum_.-', 20),
  p('glcbt-', 'GitLab CI/CD job token', 'alnum_.-', 20),
  p('npm_', 'npm access token', 'alnum', 36, 36),
  p('glsa_', 'Grafana service account token', 'alnum_', 32),
  p('glc_', 'Grafana Cloud access policy token', 'base64', 32),
  p('sk-', 'OpenAI API key', 'alnum_-', 20),
  p('sk-ant-', 'Anthropic API key', 'alnum_-', 20),
  p('hf_', 'Hugging Face access token', 'alnum', 30),
  p('dop_v1_', 'DigitalOcean personal access token', 'hex', 64, 64),
  p('doo_v1_', 'DigitalOcean OAuth token', 'hex', 64, 64),
  p('dor_v1_', 'DigitalOcean refresh token', 'hex', 64, 64),
  p('xoxb-', 'Slack bot token', 'alnum_-', 10),
  p('xoxp-', 'Slack user token', 'alnum_-', 10),
  p('xoxa-', 'Slack workspace access token', 'alnum_-', 10),
  p('xoxr-', 'Slack refresh token', 'alnum_-', 10),
  p('xoxe-', 'Slack rotating token', 'alnum_-', 10),
  p('xoxe.xoxp-', 'Slack rotating user token', 'alnum_-', 10),
  p('xapp-', 'Slack app-level token', 'alnum_-', 10),
  p('dckr_pat_', 'Docker Hub personal access token', 'alnum_-', 20),
  p('sk_live_', 'Stripe secret key', 'alnum', 20),
  p('rk_live_', 'Stripe restricted key', 'alnum', 20),
  p('AKIA', 'AWS access key id', 'upper-alnum', 16, 16),
  p('ASIA', 'AWS temporary access key id', 'upper-alnum', 16, 16),
  p('AIza', 'Google API key', 'alnum_-', 35, 35),
  p('hvs.', 'HashiCorp Vault service token', 'alnum_-', 24),
  p('hvb.', 'HashiCorp Vault batch token', 'alnum_-', 24),
  p('hvr.', 'HashiCorp Vault recovery token', 'alnum_-', 24),
  p('shpat_', 'Shopify admin API access token', 'hex', 32, 32),
  p('shpca_', 'Shopify custom app access token', 'hex', 32, 32),
  p('shppa_', 'Shopify private app access token', 'hex', 32, 32),
  p('shpss_', 'Shopify shared secret', 'hex', 32, 32),
  p('pypi-', 'PyPI API token', 'alnum_-', 50),
  p('lin_api_', 'Linear API key', 'alnum', 40),
  p('PMAK-', 'Postman API key', 'alnum_-', 50),
  p('SG.', 'SendGrid API key', 'alnum_.-', 60),
];

const BODY_BYTES: Record<IssuerPrefix['body'], Uint8Array> = (() => {
  const table = (chars: string) => {
    const t = new Uint8Array(256);
    for (const ch of chars) t[ch.charCodeAt(0)] = 1;
    return t;
  };
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const alnum = `${upper}${upper.toLowerCase()}0123456789`;
  return {
    alnum: table(alnum),
    alnum_: table(`${alnum}_`),
    'alnum_-': table(`${alnum}_-`),
    'alnum_.-': table(`${alnum}_.-`),
    hex: table('0123456789abcdefABCDEF'),
    base64: table(`${alnum}+/=`),
    'upper-alnum': table(`${upper}0123456789`),
  };
})();

const WORD = BODY_BYTES.alnum;

/**
 * The length of the token that starts with `prefix` at `start` in `buf` (prefix included), or 0 when it is not one:
 * a letter or digit just before it (`task-...` is not `sk-`), or a body too short or too long.
 */
export function candidateLength(buf: Uint8Array, start: number, end: number, limit: number, prefix: IssuerPrefix): number {
  if (start > 0 && WORD[buf[start - 1] as number] === 1) return 0;
  const body = BODY_BYTES[prefix.body];
  let i = end;
  const stop = Math.min(limit, end + prefix.maxBody + 1);
  while (i < stop && body[buf[i] as number] === 1) i++;
  const n = i - end;
  if (n < prefix.minBody || n > prefix.maxBody) return 0;
  return i - start;
}
