package org.mobilenas.spaces;

import org.mobilenas.core.testing.PublicApiDocsContract;

/** This module's public API is documented. */
class PublicApiDocsTest extends PublicApiDocsContract {}
