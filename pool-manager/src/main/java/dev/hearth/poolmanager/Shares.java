package dev.hearth.poolmanager;

/**
 * How the node is divided between users (issue 13: no tenant starves another).
 *
 * @param userMaxMinWarm   the most {@code minWarm} one user may ask for over all their functions;
 *                         checked by the control plane, which knows every function
 * @param provisionedShare the fraction of the node's containers and memory that {@code minWarm}
 *                         containers of all users together may take; the rest is kept for calls.
 *                         Each user's part of it is their max-min fair share
 */
public record Shares(int userMaxMinWarm, double provisionedShare) {

    public Shares {
        if (userMaxMinWarm < 0) {
            throw new IllegalArgumentException("HEARTH_USER_MAX_MIN_WARM must be >= 0, got " + userMaxMinWarm);
        }
        if (!(provisionedShare >= 0 && provisionedShare <= 1)) {
            throw new IllegalArgumentException("HEARTH_PROVISIONED_SHARE must be between 0 and 1, got " + provisionedShare);
        }
    }

    public static final Shares DEFAULT = new Shares(10, 0.5);
}
