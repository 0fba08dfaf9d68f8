/**
 * The backend origin: the one place the UI code names it. `npm run project:set-origin -- https://…`
 * rewrites this line and every `*-hsmeta.json` URL together (docs/hubspot-project.md).
 */
export const BACKEND_ORIGIN = 'https://dialer-sync.example.com';
