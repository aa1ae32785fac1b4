package org.acme.sse.chat;

/**
 * An error in the OpenAI API's shape: {@code {"error":{"message","type","param","code"}}} with its HTTP status.
 * Thrown before the answer starts, it becomes that status and body (see {@link ApiErrorMapper}); once the
 * {@code 200} is on the wire, the same error can only be the stream's last event, {@code event: error}.
 */
public class ApiException extends RuntimeException {

    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String UPSTREAM = "upstream_error";
    public static final String SERVER = "server_error";

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final Long retryAfterSeconds;

    public ApiException(int status, String type, String param, String code, String message, Long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A 400 for a request the client must change. */
    public static ApiException invalid(String param, String message) {
        return new ApiException(400, INVALID_REQUEST, param, null, message, null);
    }

    public int status() {
        return status;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Body body() {
        return new Body(new Error(getMessage(), type, param, code));
    }

    /** The JSON body. {@code param} and {@code code} are null when they do not apply, as in the OpenAI API. */
    public record Body(Error error) {
    }

    public record Error(String message, String type, String param, String code) {
    }
}
