package io.secrettrail.web;
