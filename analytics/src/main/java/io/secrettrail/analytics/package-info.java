package io.secrettrail.analytics;
