/**
 * The activity log's step codes as a reader sees them. Steps named here read better than their
 * code; any other step is its code in words ("contact_matched" → "Contact matched").
 */
const STEP_LABELS: Record<string, string> = {
  recording_ready: 'Recording ready in HubSpot',
  transcript_sent: 'Transcript sent to HubSpot',
  recording_notice_failed: 'Recording or transcript not accepted',
  hubspot_failed: 'HubSpot write failed',
  hubspot_create_again: 'Created again in HubSpot',
};

export function stepLabel(step: string): string {
  const label = STEP_LABELS[step];
  if (label) return label;
  const words = step.replace(/[_.-]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : step;
}
