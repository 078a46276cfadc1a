package dev.hearth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AliasFiguresTest {

    @Test
    void figures_giveTheP50Difference_andTheAliasedCallsByVersion() {
        double[] unqualified = {1.0, 1.1, 1.2, 1.3};
        double[] aliased = {1.05, 1.5, 1.25, 1.6};
        long[] versions = {2, 1, 2, 1};

        Map<String, Object> figures = AliasFigures.figures(unqualified, aliased, versions);

        assertEquals(1.1, figures.get("unqualifiedP50Ms"));
        assertEquals(1.25, figures.get("aliasP50Ms"));
        assertEquals(0.15, figures.get("aliasOverheadP50Ms"));
        assertEquals(1.6, figures.get("aliasP99Ms"));
        assertEquals(1.5, figures.get("aliasOnVersion1P50Ms"));
        assertEquals(2, figures.get("aliasOnVersion1Calls"));
        assertEquals(1.05, figures.get("aliasOnVersion2P50Ms"));
    }

    @Test
    void round3_keepsThreeDecimals() {
        assertEquals(0.042, AliasFigures.round3(0.04249));
        assertEquals(-0.164, AliasFigures.round3(-0.1641));
    }
}
