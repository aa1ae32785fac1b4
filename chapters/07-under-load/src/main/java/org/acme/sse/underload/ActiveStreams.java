package org.acme.sse.underload;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * What is open right now, per kind of stream, and how many feed events were dropped for slow subscribers:
 * {@code GET /streams}. The page shows it; the tests use it to prove that a client that leaves stops the work.
 */
@Singleton // no client proxy: the counters are read as fields by the streams
@Path("/streams")
public class ActiveStreams {

    final AtomicInteger sse = new AtomicInteger();
    final AtomicInteger broadcast = new AtomicInteger();
    final AtomicInteger ws = new AtomicInteger();
    final AtomicLong dropped = new AtomicLong();

    public record Counts(int sse, int broadcast, int ws, long dropped) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Counts counts() {
        return new Counts(sse.get(), broadcast.get(), ws.get(), dropped.get());
    }
}
