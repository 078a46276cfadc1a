package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** First calls expected after deploys, at literal times. */
class ExpectedCallsTest {

    static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    static final VersionKey A = new VersionKey("a", 1);
    static final VersionKey B = new VersionKey("b", 1);
    static final VersionKey A2 = new VersionKey("a", 2);

    final ExpectedCalls expected = new ExpectedCalls(Duration.ofSeconds(20), 3);

    @Test
    void eachVersionDeployed_isExpectedOnce_untilItsFirstCall() {
        expected.expect(A, T0);
        expected.expect(B, T0.plusSeconds(1));
        expected.expect(A2, T0.plusSeconds(2));
        expected.expect(A, T0.plusSeconds(3));
        assertEquals(3, expected.count(T0.plusSeconds(3)), "a and its version 2 are two; a deployed again is one");

        expected.arrived(B);
        expected.arrived(B);
        assertEquals(2, expected.count(T0.plusSeconds(3)));
        expected.arrived(new VersionKey("never-expected", 1));
        assertEquals(2, expected.count(T0.plusSeconds(3)));
    }

    @Test
    void anExpectedCall_countsForItsLifetimeFromItsLastDeploy() {
        expected.expect(A, T0);
        expected.expect(B, T0.plusSeconds(5));
        assertEquals(2, expected.count(T0.plusMillis(19_999)));
        assertEquals(1, expected.count(T0.plusSeconds(20)), "a's 20 s are over");
        expected.expect(B, T0.plusSeconds(24));
        assertEquals(1, expected.count(T0.plusSeconds(25)), "b deployed again counts from then");
        assertEquals(1, expected.count(T0.plusSeconds(43)));
        assertEquals(0, expected.count(T0.plusSeconds(44)));
    }

    @Test
    void aRetiredVersion_isExpectedNoLonger() {
        expected.expect(A, T0);
        expected.expect(A2, T0);
        expected.expect(B, T0);
        expected.withdraw(version -> version.equals(A2));
        assertEquals(2, expected.count(T0.plusSeconds(1)), "a's version 2 was let go");
        expected.withdraw(version -> version.functionId().equals("a"));
        assertEquals(1, expected.count(T0.plusSeconds(1)), "a was deleted; b is still to come");
    }

    @Test
    void atMostTheBoundAreKept_theOldestDeployGoesFirst() {
        for (int i = 0; i < 10; i++) {
            expected.expect(new VersionKey("f" + i, 1), T0.plusSeconds(i));
        }
        assertEquals(3, expected.count(T0.plusSeconds(10)));
        expected.arrived(new VersionKey("f0", 1));
        assertEquals(3, expected.count(T0.plusSeconds(10)), "f0 was dropped already");
        expected.arrived(new VersionKey("f9", 1));
        assertEquals(2, expected.count(T0.plusSeconds(10)));
    }

    @Test
    void aBoundOfZero_expectsNothing() {
        ExpectedCalls none = new ExpectedCalls(Duration.ofSeconds(20), 0);
        none.expect(A, T0);
        assertEquals(0, none.count(T0));
    }
}
