package org.mlpservice.training;

/**
 * A setting a PATCH changed while the job ran: it trained with {@code to} from mini-batch
 * {@code batch} of epoch {@code epoch} on. In the job's answer ({@code changes}), its stream (the
 * {@code change} event) and the published version's lineage.
 *
 * @param epoch the epoch (1-based) of the first mini-batch that used the new value
 * @param batch that mini-batch's place in its epoch, from 0
 * @param field optimizer.learningRate, optimizer.momentum, l1, l2, dropout or epochsPerSecond
 * @param from  the value before (null: none, as an unthrottled epochsPerSecond)
 * @param to    the value after
 */
public record SettingChange(int epoch, int batch, String field, Double from, Double to) {
}
