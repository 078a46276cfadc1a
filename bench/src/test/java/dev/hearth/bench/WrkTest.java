package dev.hearth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WrkTest {

    private static final String REPORT = """
            Running 10s test @ http://127.0.0.1:9200/v1/functions/load/invoke
              2 threads and 8 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     3.20ms    5.81ms 102.96ms   92.33%
                Req/Sec     2.31k   487.48     3.18k    65.50%
              Latency Distribution
                 50%  366.00us
                 75%  812.00us
                 90%    1.91ms
                 99%   25.03ms
              46037 requests in 10.01s, 9.79MB read
            Requests/sec:   4601.81
            Transfer/sec:      0.98MB
            """;

    @Test
    void parse_readsRateAndPercentiles_inMilliseconds() {
        Wrk.Report report = Wrk.parse(REPORT);
        assertEquals(4601.81, report.perSec(), 1e-9);
        assertEquals(0.366, report.p50Ms(), 1e-9);
        assertEquals(25.03, report.p99Ms(), 1e-9);
        assertEquals(0, report.failed());
    }

    @Test
    void parse_countsNon2xxAndSocketErrors_asFailed() {
        String failing = REPORT.replace("Requests/sec:", "  Socket errors: connect 0, read 2, write 1, timeout 3\n"
                + "  Non-2xx or 3xx responses: 40\nRequests/sec:");
        assertEquals(46, Wrk.parse(failing).failed());
    }

    @Test
    void parse_secondsArePercentilesToo() {
        assertEquals(1_500, Wrk.parse(REPORT.replace("25.03ms", "1.50s")).p99Ms(), 1e-9);
    }

    @Test
    void parse_withoutLatencyDistribution_fails() {
        assertThrows(IllegalStateException.class, () -> Wrk.parse("Requests/sec:   10.0\n"));
    }
}
