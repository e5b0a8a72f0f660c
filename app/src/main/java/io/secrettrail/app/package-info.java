package io.secrettrail.app;
