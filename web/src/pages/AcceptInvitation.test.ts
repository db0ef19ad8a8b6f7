import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { acceptErrorText } from './AcceptInvitation';

describe('acceptErrorText', () => {
  it('tells a person whose e-mail has a login to log in and open the link again', () => {
    expect(acceptErrorText(new ApiError(409, 'email_taken', 'An account exists.')))
      .toMatch(/Log in with it, then open this link again/);
  });

  it('passes on the server\'s reason when the signed-in e-mail is not the invited one', () => {
    expect(acceptErrorText(new ApiError(403, 'invitation_email_mismatch', 'sign in with the invited address')))
      .toBe('Could not join: sign in with the invited address');
  });

  it('points a member to the switcher, and a dead link to a new invitation', () => {
    expect(acceptErrorText(new ApiError(409, 'already_member', 'x'))).toMatch(/tenant switcher/);
    expect(acceptErrorText(new ApiError(404, 'not_found', 'x'))).toMatch(/unknown, already used or expired/);
  });

  it('explains an ended sign-in', () => {
    expect(acceptErrorText(new ApiError(401, 'unauthorized', 'Sign in again.'))).toMatch(/^Your sign-in has ended/);
  });
});
