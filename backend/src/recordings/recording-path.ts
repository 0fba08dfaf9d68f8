/** Where HubSpot asks for a call's recording (`<origin>/hubspot/recordings/<external id>`). */
export const RECORDING_PATH = '/hubspot/recordings';

/** `urlToRetrieveAuthedRecording`: HubSpot puts the call's external id where `%s` is. */
export const recordingUrlTemplate = (origin: string) => `${origin.replace(/\/$/, '')}${RECORDING_PATH}/%s`;
