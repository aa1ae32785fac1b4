package org.acme.sse.chat;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of this app in the OpenAI API's shape, so that an OpenAI SDK shows its message: never an HTML
 * page, never a stack trace. Quarkus's own errors (415 for a body that is not JSON, 404, 405) go through here too.
 */
public class ApiErrorMapper {

    @ServerExceptionMapper
    public RestResponse<ApiException.Body> apiError(ApiException e) {
        RestResponse.ResponseBuilder<ApiException.Body> response = RestResponse.ResponseBuilder
                .<ApiException.Body>create(e.status()).entity(e.body()).type(MediaType.APPLICATION_JSON_TYPE);
        if (e.retryAfterSeconds() != null) {
            response.header("Retry-After", e.retryAfterSeconds());
        }
        return response.build();
    }

    @ServerExceptionMapper
    public RestResponse<ApiException.Body> httpError(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.StatusType statusType = Response.Status.fromStatusCode(status);
        String message = statusType == null ? "HTTP " + status : statusType.getReasonPhrase();
        if (status == 415) {
            message = "the body must be JSON, sent with Content-Type: application/json";
        }
        String type = status < 500 ? ApiException.INVALID_REQUEST : ApiException.SERVER;
        return apiError(new ApiException(status, type, null, null, message, null));
    }
}
