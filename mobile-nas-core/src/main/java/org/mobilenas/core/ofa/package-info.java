/** Once-for-All: an elastic supernet sharing one parameter store, progressive shrinking, accuracy predictor and evolutionary specialisation. */
package org.mobilenas.core.ofa;
