package org.mobilenas.core;

import org.mobilenas.core.testing.PublicApiDocsContract;

/** This module's public API is documented. */
class PublicApiDocsTest extends PublicApiDocsContract {}
