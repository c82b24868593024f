import { useState, type ReactNode } from 'react';

/**
 * A link to a service's page, opened in the user's browser by main's safe opener (https, allow-listed hosts plus
 * the workspace's own). The page itself never navigates and cannot open windows.
 */
export function ExternalLink({ url, workspaceId, children }: { url: string; workspaceId?: string; children: ReactNode }) {
  const [refused, setRefused] = useState(false);
  const open = async () => {
    const result = await window.tokenVault.desktop.openLink(workspaceId ? { url, workspaceId } : { url });
    setRefused(!result.ok || !result.value.opened);
  };
  return (
    <>
      <button type="button" className="link" title={url} onClick={() => void open()}>
        {children}
      </button>
      {refused && (
        <span role="alert" className="error">
          {' '}
          Token Vault opens only https pages of this workspace&apos;s service.
        </span>
      )}
    </>
  );
}
