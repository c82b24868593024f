import { describe, expect, it } from 'vitest';
import { joinWorkspaceUrl, splitWorkspaceUrl } from '../../src/shared/workspace-url';

describe('workspace URL with provider options in its fragment', () => {
  it('joins the fields the window shows and splits them back as main reads them', () => {
    const url = joinWorkspaceUrl('https://gitlab.example.com', { projects: '7, 8', groups: '3', userId: '' });
    expect(url).toBe('https://gitlab.example.com#projects=7,+8&groups=3');
    expect(splitWorkspaceUrl(url)).toEqual({ baseUrl: 'https://gitlab.example.com', options: { projects: '7, 8', groups: '3' } });
    expect(joinWorkspaceUrl('https://gitlab.example.com', { projects: ' ' })).toBe('https://gitlab.example.com');
  });
});
