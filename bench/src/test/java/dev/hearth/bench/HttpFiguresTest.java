package dev.hearth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpFiguresTest {

    @Test
    void figures_giveEachKindsPercentiles_andTheRouteAndUrlP50LessInvokes() {
        double[] invoke = {1.0, 1.1, 1.2, 1.3};
        double[] route = {1.05, 1.5, 1.25, 1.6};
        double[] url = {0.9, 1.0, 1.05, 2.0};

        Map<String, Object> figures = HttpFigures.figures(invoke, route, url);

        assertEquals(1.1, figures.get("invokeP50Ms"));
        assertEquals(1.25, figures.get("routeP50Ms"));
        assertEquals(1.0, figures.get("urlP50Ms"));
        assertEquals(0.15, figures.get("routeOverheadP50Ms"));
        assertEquals(-0.1, figures.get("urlOverheadP50Ms"));
        assertEquals(1.3, figures.get("invokeP99Ms"));
        assertEquals(1.6, figures.get("routeP99Ms"));
        assertEquals(2.0, figures.get("urlP99Ms"));
        assertEquals(4, figures.get("httpCallsEach"));
    }
}
