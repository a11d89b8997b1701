import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALREADY_DONE_ON_UNSUBSCRIBE, classifyCampaignsResponse } from '../../src/zoho/outcome.ts';

const response = (httpStatus: number | undefined, body: unknown, networkError?: string) => ({
  httpStatus,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  networkError,
  durationMs: 12,
});

describe('classifyCampaignsResponse', () => {
  it('treats code 0 and "0" alike as success', () => {
    assert.equal(classifyCampaignsResponse(response(200, { status: 'success', code: 0, message: 'ok' })).outcome, 'done');
    assert.equal(classifyCampaignsResponse(response(200, { status: 'success', code: '0', message: 'ok' })).outcome, 'done');
  });

  it('reads errors inside HTTP 200 bodies (docs/zoho-api.md, "Campaigns calls")', () => {
    const invalidEmail = classifyCampaignsResponse(response(200, { status: 'error', code: '2004', message: 'Invalid contact email address.' }));
    assert.equal(invalidEmail.outcome, 'permanent');
    assert.equal(invalidEmail.code, '2004');
    assert.equal(classifyCampaignsResponse(response(200, { status: 'error', code: '2501', message: 'Listkey invalid' })).outcome, 'permanent');
    assert.equal(classifyCampaignsResponse(response(200, { status: 'error', code: '2101', message: 'Please retry after sometime.' })).outcome, 'retry');
  });

  it('classifies network failures, 5xx, HTML and broken JSON as transient', () => {
    assert.equal(classifyCampaignsResponse(response(undefined, '', 'Zoho did not answer in time (timeout).')).outcome, 'retry');
    assert.equal(classifyCampaignsResponse(response(503, '<html><body>Service Unavailable</body></html>')).outcome, 'retry');
    const html = classifyCampaignsResponse(response(200, '<!DOCTYPE html><html></html>'));
    assert.equal(html.outcome, 'retry');
    assert.match(html.message, /HTML page/);
    assert.equal(classifyCampaignsResponse(response(200, '{"status":"succ')).outcome, 'retry');
    assert.equal(classifyCampaignsResponse(response(500, { status: 'error', code: '500', message: 'Internal' })).outcome, 'retry');
  });

  it('recognises token problems and rate limits', () => {
    assert.equal(classifyCampaignsResponse(response(200, { status: 'error', code: '1007', message: 'Unauthorized key.' })).outcome, 'auth');
    assert.equal(classifyCampaignsResponse(response(401, { status: 'error', code: '1007', message: 'Unauthorized key.' })).outcome, 'auth');
    assert.equal(classifyCampaignsResponse(response(200, { status: 'error', code: '2008', message: 'Calls limit exceeded' })).outcome, 'rate_limited');
  });

  it('treats "contact does not exist" on unsubscribe as already done', () => {
    const body = { status: 'error', code: '2103', message: 'Contact does not exist' };
    assert.equal(classifyCampaignsResponse(response(200, body), ALREADY_DONE_ON_UNSUBSCRIBE).outcome, 'done');
    assert.equal(classifyCampaignsResponse(response(200, body)).outcome, 'permanent');
  });
});
