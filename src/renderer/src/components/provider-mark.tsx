import type { ProviderKind } from '../../../shared/provider-capabilities';

/** Two letters per service: the mark says which service a row is at a glance, the label says it in words. */
const INITIALS: Record<ProviderKind, string> = {
  strapi: 'St',
  npm: 'np',
  gitlab: 'GL',
  cloudflare: 'CF',
  grafana: 'Gr',
  vault: 'HV',
  gitea: 'Gt',
  openai: 'AI',
  dockerhub: 'DH',
  vercel: 'Vc',
  datadog: 'DD',
  heroku: 'He',
  github: 'GH',
  manual: 'M',
};

export function ProviderMark({ kind, label, size }: { kind: ProviderKind; label: string; size?: 'small' | 'large' }) {
  return (
    <span className={`mark mark-${kind}${size ? ` ${size}` : ''}`} title={label} aria-hidden="true">
      {INITIALS[kind]}
    </span>
  );
}
