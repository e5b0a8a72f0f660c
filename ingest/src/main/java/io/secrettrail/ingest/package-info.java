package io.secrettrail.ingest;
