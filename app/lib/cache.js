'use strict';
/**
 * Redis/Valkey connection. The `redis` driver is required lazily, inside the function, so that modules depending
 * on this one can be loaded and tested without the driver installed.
 */
const { redisSettings } = require('./tls');

/** Reconnection back-off: 100 ms doubling up to 5 s, forever (the cache may come back at any time). */
function reconnectDelay(retries) {
  return Math.min(100 * 2 ** retries, 5000);
}

/**
 * A node-redis client, not yet connected: call `connect()`. Commands fail at once while it is disconnected
 * (`disableOfflineQueue`) instead of queueing, so a health check reports a down cache instead of hanging.
 */
function createCache(env, log = console) {
  const { createClient } = require('redis');
  const { url, socket } = redisSettings(env);
  const client = createClient({
    url,
    socket: { ...socket, connectTimeout: 5000, reconnectStrategy: reconnectDelay },
    disableOfflineQueue: true,
  });
  // node-redis emits 'error' on every failed reconnection attempt; unhandled, it would crash the process.
  // Log a message once, not once per retry.
  let lastMessage;
  client.on('error', (err) => {
    if (err.message !== lastMessage) {
      lastMessage = err.message;
      log.error(`cache: ${err.message}`);
    }
  });
  client.on('ready', () => {
    lastMessage = undefined;
    log.log('cache: connected');
  });
  return client;
}

module.exports = { createCache };
