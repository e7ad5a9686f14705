/**
 * The mailman's HTTP side: metrics, status and the live dashboard.
 */
package io.audiosockets.http;
