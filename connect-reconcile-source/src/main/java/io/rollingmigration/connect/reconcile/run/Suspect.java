package io.rollingmigration.connect.reconcile.run;

import io.rollingmigration.connect.common.compare.Verdict;

/**
 * A difference not yet confirmed: it may be a change the pipeline is still delivering.
 *
 * @param verdict   the latest finding
 * @param firstSeen when it was first found, epoch ms
 * @param due       when to check it again, epoch ms
 * @param checks    how many times it was checked again and still differed
 */
record Suspect(Verdict verdict, long firstSeen, long due, int checks) {}
