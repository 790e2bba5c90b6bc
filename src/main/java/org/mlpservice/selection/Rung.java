package org.mlpservice.selection;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One round of a search: halving's rungs each measure the best of the one before on more epochs;
 * grid and random have one round of every candidate on its own epochs.
 *
 * @param candidates how many it measures
 * @param epochs     the epochs of each of its fits, or null for each candidate's own
 */
@Schema(description = "A rung of successive halving: how many candidates it measures, on how many epochs each")
public record Rung(int candidates, Integer epochs) {
}
