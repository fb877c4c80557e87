#!/bin/sh
# Debian's protoc (package protobuf-compiler), used by proto_library.
exec /usr/bin/protoc "$@"
