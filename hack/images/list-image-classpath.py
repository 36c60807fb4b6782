#!/usr/bin/env python3
"""Prints what an image archive (docker-archive, as Jib writes it) puts on the JVM's classpath, one entry a line:
"jar NAME" for each jar in /app/libs, "class PATH" for each class in /app/classes and inside Pulse's own jars
(pulse-*.jar in /app/libs: another module's code is as much the image's as its own). Used by
check-image-classpath.sh."""
import io
import json
import sys
import tarfile
import zipfile


def main(path):
    entries = set()
    with tarfile.open(path) as image:
        manifest = json.load(image.extractfile("manifest.json"))
        for layer_name in manifest[0]["Layers"]:
            with tarfile.open(fileobj=image.extractfile(layer_name), mode="r:*") as layer:
                for member in layer:
                    name = member.name[2:] if member.name.startswith("./") else member.name
                    if name.startswith("app/libs/") and name.endswith(".jar") and "/" not in name[9:]:
                        jar = name[9:]
                        entries.add("jar " + jar)
                        if jar.startswith("pulse-"):
                            data = layer.extractfile(member).read()
                            with zipfile.ZipFile(io.BytesIO(data)) as z:
                                entries.update("class " + n for n in z.namelist() if n.endswith(".class"))
                    elif name.startswith("app/classes/") and name.endswith(".class"):
                        entries.add("class " + name[12:])
    for entry in sorted(entries):
        print(entry)


if __name__ == "__main__":
    main(sys.argv[1])
