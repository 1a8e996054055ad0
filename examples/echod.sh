#!/bin/sh
while read l; do
	echo $l
done
