package org.acme.sse.fetchstreaming;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A body larger than {@code fetch.max-body-size} gets a 413 with the same problem body as every other 4xx of the
 * app: refused before it is read when its Content-Length says so, and as soon as it passes the limit when no
 * length was announced. Quarkus's own limit ({@code quarkus.http.limits.max-body-size}) checks one route later and
 * answers a bare 413 with no body: this route comes first.
 */
@ApplicationScoped
public class BodyLimit {

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "fetch.max-body-size")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        BodyHandler unannouncedBodies = BodyHandler.create(false).setBodyLimit(maxBodySize.asLongValue());
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(context -> {
                    HttpServerRequest request = context.request();
                    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
                    if (length != null) {
                        // Declared: refused at once when too large, before a byte of it is read.
                        if (length.matches("[0-9]{1,18}") && Long.parseLong(length) > maxBodySize.asLongValue()) {
                            context.fail(413);
                        } else {
                            context.next();
                        }
                    } else if (hasUnannouncedBody(request)) {
                        // No length announced (chunked, or an HTTP/2 stream): counted as it arrives, refused as
                        // soon as it passes the limit.
                        unannouncedBodies.handle(context);
                    } else {
                        context.next();
                    }
                })
                .handler(context -> {
                    // Quarkus REST takes a body read here as the request's body, but an empty one it waits for.
                    if (hasUnannouncedBody(context.request()) && context.body().length() <= 0) {
                        context.fail(400, new BadRequestException(FetchStreamResource.BODY_SHAPE));
                    } else {
                        context.next();
                    }
                })
                .failureHandler(this::problem);
    }

    /**
     * A POST body with no length announced: chunked, or an HTTP/2 stream. An HTTP/1.1 request with neither
     * Content-Length nor Transfer-Encoding has no body at all (RFC 9112, section 6.3): Quarkus REST reads that one.
     */
    private static boolean hasUnannouncedBody(HttpServerRequest request) {
        return request.method() == HttpMethod.POST && request.getHeader(HttpHeaders.CONTENT_LENGTH) == null
                && (request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || request.version() == HttpVersion.HTTP_2);
    }

    private void problem(RoutingContext context) {
        String detail = switch (context.statusCode()) {
            case 413 -> "the body must not be larger than " + maxBodySize.asLongValue() + " bytes";
            case 400 -> context.failure() instanceof BadRequestException e ? e.getMessage() : null;
            default -> null; // not ours: Quarkus's own failure handling
        };
        if (detail == null) {
            context.next();
            return;
        }
        String title = context.statusCode() == 413 ? "Request Entity Too Large" : "Bad Request";
        String problem = toJson(new ProblemMapper.Problem("about:blank", title, context.statusCode(), detail));
        HttpServerResponse response = context.response().setStatusCode(context.statusCode())
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMapper.PROBLEM_JSON);
        if (context.request().version() == HttpVersion.HTTP_2) {
            // HTTP/2 forbids a Connection header (RFC 9113, section 8.2.2): the answer ends this stream only.
            response.end(problem);
            return;
        }
        // The rest of the body may still be on its way: close the connection once the answer is out, rather
        // than read it only to throw it away.
        HttpConnection connection = context.request().connection();
        response.putHeader(HttpHeaders.CONNECTION, "close")
                .end(problem)
                .onComplete(done -> connection.close());
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
