package io.secrettrail.core;
