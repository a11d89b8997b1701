// What the owner reads when connecting Zoho goes wrong: what happened and what to do next, in
// plain words. One entry per problem the browser flow can meet (docs/zoho-api.md, "Authorization").
import type { ConnectProblem } from '../../zoho/connector.ts';

export type BrowserConnectProblem =
  | ConnectProblem
  /** Zoho came back with error=access_denied: "Reject" was clicked, or too many attempts. */
  | 'consent_denied'
  /** The state was never issued to this browser, expired, or was forged. */
  | 'state_mismatch'
  /** The callback named an accounts server outside the allowlist. */
  | 'unknown_server';

export interface ProblemPage {
  title: string;
  happened: string;
  nextSteps: string[];
  statusCode: number;
}

export interface ProblemContext {
  /** e.g. "Europe (zoho.eu)". */
  dataCentreName: string | undefined;
  redirectUri: string;
  /** Zoho's own words, when it gave any. */
  detail: string | undefined;
}

const CONNECT_AGAIN = 'Go back to the overview and click "Connect Zoho Campaigns" again.';

export function problemPage(problem: BrowserConnectProblem, context: ProblemContext): ProblemPage {
  const where = context.dataCentreName ? `the ${context.dataCentreName} data centre` : 'your Zoho data centre';
  switch (problem) {
    case 'consent_denied':
      return page(
        'Zoho did not give access',
        'Zoho reports that access was not granted: either "Reject" was clicked on Zoho\'s page, or there were more than 10 connection attempts in 10 minutes.',
        [`${CONNECT_AGAIN} On Zoho's page, choose "Accept".`, 'If you did click "Accept", wait 10 minutes before trying again.'],
      );
    case 'invalid_code':
      return page(
        'This approval was already used or has expired',
        'The code Zoho sends back after you approve works once, and only for a few minutes. It was already used (this happens when this page is reloaded or opened twice), or it expired.',
        [
          'If you had just connected successfully, there is nothing to do: the overview shows the connection.',
          `Otherwise: ${CONNECT_AGAIN} Approve in Zoho and come straight back.`,
        ],
      );
    case 'invalid_client':
      return page(
        'Zoho does not know this bridge in your data centre',
        `Your Zoho account is in ${where}, and Zoho says the bridge's API client is not registered there (or its Client ID is wrong).`,
        [
          'In the Zoho API console (api-console.zoho.com), open the bridge\'s client, go to its Settings tab, turn on "Multi-DC" and enable your data centre.',
          "Check that ZOHO_CLIENT_ID is that client's Client ID.",
          CONNECT_AGAIN,
        ],
      );
    case 'invalid_client_secret':
      return page("Zoho refused the bridge's client secret", `Zoho accepted the client but not its secret in ${where}.`, [
        'Copy the Client Secret from the Zoho API console (the one for your data centre, if the client has one per data centre) into ZOHO_CLIENT_SECRET and restart the bridge.',
        CONNECT_AGAIN,
      ]);
    case 'invalid_redirect_uri':
      return page('Zoho refused the return address', 'Zoho only sends people back to addresses registered for the client, and this one is not.', [
        `In the Zoho API console, add exactly ${context.redirectUri} to the client's "Authorized Redirect URIs".`,
        CONNECT_AGAIN,
      ]);
    case 'no_refresh_token':
      return page(
        'Zoho did not give lasting access',
        'Zoho approved, but without the long-lived permission (a "refresh token") the bridge needs to keep working after the first hour. Nothing was saved.',
        [
          CONNECT_AGAIN,
          'If this happens again: in your Zoho account settings (accounts.zoho.com), under "Connected Apps", remove this bridge\'s access, then connect again.',
        ],
      );
    case 'missing_scope':
      return page(
        'The approval does not cover Zoho Campaigns contacts',
        'Zoho granted access, but not to Zoho Campaigns contacts and lists, which the bridge needs. Nothing was saved.',
        [CONNECT_AGAIN],
      );
    case 'throttled':
      return page('Zoho asked the bridge to slow down', 'Zoho refuses new tokens for a while after too many requests.', [
        'Wait 10 minutes, then connect again.',
      ]);
    case 'unreachable':
      return page(
        'Zoho could not be reached',
        `The bridge could not reach Zoho's servers${context.detail ? ` (${context.detail})` : ''}. Nothing was saved.`,
        [
          "Check that the bridge's server can reach the internet.",
          `Wait a minute, then ${CONNECT_AGAIN.charAt(0).toLowerCase()}${CONNECT_AGAIN.slice(1)} Each approval code expires within minutes, so a new one is needed.`,
        ],
        502,
      );
    case 'state_mismatch':
      return page(
        'This approval did not start here',
        'What came back from Zoho does not match a connection started in this browser in the last 15 minutes, so for your safety it was ignored and nothing was sent to Zoho.',
        [`${CONNECT_AGAIN} Use the same browser from start to finish.`],
      );
    case 'unknown_server':
      return page(
        'Zoho answered from an unknown address',
        "The answer named a Zoho sign-in server that is not on the bridge's list of Zoho's servers, so for your safety nothing was sent to it.",
        [CONNECT_AGAIN, 'If it keeps happening, tell whoever runs the bridge.'],
      );
    case 'not_configured':
      return page('The bridge is not set up for Zoho yet', 'To connect, the bridge needs its own Zoho API client.', [
        'Whoever runs the bridge creates one in the Zoho API console and sets ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET (docs/zoho-connection.md explains each screen), then restarts it.',
      ]);
    case 'other':
      return page('Zoho refused the connection', `Zoho answered: ${context.detail ?? 'an error without explanation'}.`, [CONNECT_AGAIN]);
  }
}

function page(title: string, happened: string, nextSteps: string[], statusCode = 400): ProblemPage {
  return { title, happened, nextSteps, statusCode };
}
