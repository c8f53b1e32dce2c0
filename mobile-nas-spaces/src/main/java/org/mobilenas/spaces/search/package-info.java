/** Concrete search spaces: MnasNet's factorized hierarchical space and a MobileNetV2-style space over user-defined skeletons. */
package org.mobilenas.spaces.search;
