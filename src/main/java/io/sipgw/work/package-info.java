/**
 * The threads that do the gateway's background work off the SIP stack's threads ({@code WorkerPool}).
 */
package io.sipgw.work;
