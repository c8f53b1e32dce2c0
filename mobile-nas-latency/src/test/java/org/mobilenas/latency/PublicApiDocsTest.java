package org.mobilenas.latency;

import org.mobilenas.core.testing.PublicApiDocsContract;

/** This module's public API is documented. */
class PublicApiDocsTest extends PublicApiDocsContract {}
