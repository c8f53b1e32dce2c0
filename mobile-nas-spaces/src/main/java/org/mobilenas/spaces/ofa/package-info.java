/** Once-for-All elastic MobileNetV3 spaces: the ImageNet-sized space and a proportional small-input variant. */
package org.mobilenas.spaces.ofa;
