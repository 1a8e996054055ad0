#!/bin/sh
# The tutorial's shell echo service: a plain filter, one line in, one out.
while read l; do echo $l; done
