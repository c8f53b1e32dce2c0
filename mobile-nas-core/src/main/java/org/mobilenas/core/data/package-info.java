/** Image-classification datasets: IDX files, Fashion-MNIST, synthetic images, splits, batches and transforms. */
package org.mobilenas.core.data;
