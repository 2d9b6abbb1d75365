/** A port nothing listens on now, on 127.0.0.1: the testing library's, under the name the e2e specs use. */
export { freeTcpPort as freePort } from '@shipbatch/platform/testing';
