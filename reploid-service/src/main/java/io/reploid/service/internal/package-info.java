/**
 * The implementation of the service runtime. Not a supported API: it may change in any release.
 */
package io.reploid.service.internal;
