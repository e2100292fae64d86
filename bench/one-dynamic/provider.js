// A dynamic provider that changes nothing anywhere: each call answers at once.
module.exports = {
    check: async (olds, news) => ({ inputs: news }),
    diff: async () => ({ changes: false }),
    create: async (inputs) => ({ id: "nothing", outs: inputs }),
    read: async (id, props) => ({ id, props }),
    delete: async () => {},
};
