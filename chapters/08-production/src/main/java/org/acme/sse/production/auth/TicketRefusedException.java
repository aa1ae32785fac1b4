package org.acme.sse.production.auth;

/** A stream ticket that opens no stream: missing, unknown, already used or expired. Answered 401, no stream. */
public class TicketRefusedException extends RuntimeException {

    public TicketRefusedException(String detail) {
        // No stack trace: this is an answer to the client, not a server fault, and it is never logged.
        super(detail, null, false, false);
    }
}
