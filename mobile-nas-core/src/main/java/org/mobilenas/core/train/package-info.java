/** Training and evaluation: optimizers, learning-rate schedules, losses, the trainer, checkpoints and results. */
package org.mobilenas.core.train;
